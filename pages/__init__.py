"""The pages of the Ketenkaart app (registered in ``app.py``) and their small shared helpers."""
