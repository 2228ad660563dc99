"""Thin views: parse the request, call the library, render."""

from flask import current_app

from quiz.model import Content


def get_content() -> Content:
    """The quiz content loaded when the app was created."""
    return current_app.extensions["quiz_content"]
