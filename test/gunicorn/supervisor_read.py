"""Read a supervisord file as supervisor does: RawConfigParser with inline comments
(`;` and `#` after a blank) and strict=False, `%(...)s` expansions, shlex.split of the
command. Prints {program: {"values": {key: value}, "argv": [...] or null}} as JSON.
Usage: supervisor_read.py FILE [NAME=VALUE ...] (supervisord's environment)."""
import configparser
import json
import os
import shlex
import sys

path = sys.argv[1]
env = dict(a.split("=", 1) for a in sys.argv[2:])
parser = configparser.RawConfigParser(inline_comment_prefixes=(";", "#"), strict=False)
with open(path, encoding="utf-8") as f:
    parser.read_file(f)
out = {}
for section in parser.sections():
    if not section.startswith("program:"):
        continue
    name = section[len("program:"):].strip()
    values = dict(parser.items(section))
    argv = None
    if "command" in values:
        expansions = {"here": os.path.dirname(path), "program_name": name, "group_name": name, "process_num": 0, "numprocs": 1}
        expansions.update({"ENV_" + k: v for k, v in env.items()})
        try:
            argv = shlex.split(values["command"] % expansions)
        except (KeyError, ValueError):
            argv = None
    out[name] = {"values": values, "argv": argv}
print(json.dumps(out))
