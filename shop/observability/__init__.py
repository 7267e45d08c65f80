"""What operators see of a running site: request ids in structured logs, the health endpoint, error tracking."""
