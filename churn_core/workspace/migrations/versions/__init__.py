"""The schema's versions, oldest first: rev0001_first_schema, rev0002_registry_and_queue."""
