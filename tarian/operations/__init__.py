"""Running Tarian safely: backup and restore, retention, health, structured logs."""
