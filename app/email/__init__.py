"""Rendering and sending email: one layout, one renderer, one sender."""
