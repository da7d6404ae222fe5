"""Output tables: schema and writers."""
