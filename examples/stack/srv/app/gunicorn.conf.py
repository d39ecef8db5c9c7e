# gunicorn settings for the app (read by gunicorn -c; nginx-lint never runs it)
import multiprocessing

bind = "127.0.0.1:8000"
worker = multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
timeout = 30
keepalive = 2
