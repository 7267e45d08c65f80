FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock && useradd --create-home ocop
COPY . .
RUN DJANGO_SECRET_KEY=build-only-$(python -c "print('x'*60)") python manage.py collectstatic --noinput --settings=config.settings.production \
    && chown -R ocop /app/var
USER ocop
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
