"""Print gunicorn's effective settings as JSON, the way gunicorn itself builds them.

Used by test/gunicorn/live.test.ts on the project's own fixtures only, run with
Debian's /usr/bin/python3 (which has the gunicorn package) and an explicit
environment. It builds the Config as gunicorn's WSGIApplication does (argv,
GUNICORN_CMD_ARGS, the config file) but never starts a server or imports the
application.

    print_config.py --config-only FILE       load FILE into a fresh Config (like the golden files)
    print_config.py -- ARG...                 what `gunicorn ARG...` would run with
"""
import contextlib
import io
import json
import os
import sys

sys.dont_write_bytecode = True


def jsonable(v):
    if callable(v) and not isinstance(v, type):
        return "<{}()>".format(getattr(v, "__qualname__", repr(v)))
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return v.decode("latin-1")
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return repr(v)


def dump(cfg, valid, error):
    settings = {}
    if cfg is not None:
        for name in sorted(cfg.settings):
            settings[name] = jsonable(cfg.settings[name].value)
    json.dump({"valid": valid, "error": error, "cwd": os.getcwd(), "settings": settings}, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


def config_only(path):
    from gunicorn.config import Config
    from gunicorn.app.base import Application

    class Loader(Application):
        def __init__(self):
            self.cfg = Config()

        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

    app = Loader()
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            app.load_config_from_file(path)
    except BaseException as e:  # SystemExit included: gunicorn exits on a bad file
        dump(app.cfg, False, (err.getvalue() + "\n" + type(e).__name__ + ": " + str(e)).strip())
        return
    dump(app.cfg, True, None)


def command_line(argv):
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = ["gunicorn"] + argv
    err = io.StringIO()
    app = None

    class Probe(WSGIApplication):
        def __init__(self):
            nonlocal app
            app = self
            super().__init__("%(prog)s [OPTIONS] [APP_MODULE]")

    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            Probe()
    except BaseException as e:
        dump(app.cfg if app is not None else None, False, (err.getvalue() + "\n" + type(e).__name__ + ": " + str(e)).strip())
        return
    dump(app.cfg, True, None)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--config-only"] and len(args) == 2:
        config_only(args[1])
    elif args[:1] == ["--"]:
        command_line(args[1:])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


main()
