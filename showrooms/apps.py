from django.apps import AppConfig


class ShowroomsConfig(AppConfig):
    name = "showrooms"
