"""Personal data (Decree 13/2023/NĐ-CP): notice, consent, download, erasure, retention."""
