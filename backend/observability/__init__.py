"""What a running process says about itself: Prometheus metrics, structured logs, readiness."""
