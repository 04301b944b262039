"""Persistence: SQLAlchemy models, repositories, Alembic migrations and botbuilder dialog state."""
