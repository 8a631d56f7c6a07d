"""The requirements library: the law as versioned YAML data, its schema, loader and rule language.

Lawyers edit `requirements/<version>.yaml`; `loader.load_library_file` validates a file and reports
every problem with its file and line; `rules.evaluate` decides whether a requirement applies to a
system's facts (`facts.system_facts`). No Python code lives in the data files.
"""
