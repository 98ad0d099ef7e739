# Evaluated once in every UDF context before the modules are loaded: serves the modules from their
# sources (the config carries them; no file system access is needed) and checks their imports.
import ast
import importlib
import importlib.abc
import importlib.util
import sys


class _SluiceModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self):
        self.sources = {}
        self.directory = ''

    def find_spec(self, name, path=None, target=None):
        if name in self.sources:
            return importlib.util.spec_from_loader(name, self, origin=self.directory + '/' + name + '.py')
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        code = compile(self.sources[module.__name__], module.__spec__.origin, 'exec')
        exec(code, module.__dict__)


_sluice_modules = _SluiceModules()
sys.meta_path.insert(0, _sluice_modules)


def _sluice_add(directory, name, source):
    _sluice_modules.directory = directory
    _sluice_modules.sources[name] = source


def _sluice_refused_imports(name):
    """Imports of the module that are neither standard library nor a module of the directory."""
    tree = ast.parse(_sluice_modules.sources[name], filename=name + '.py')
    refused = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported = ['.' * node.level + (node.module or '')]
        else:
            continue
        for module in imported:
            top = module.split('.')[0]
            if not top or (top not in sys.stdlib_module_names and top not in _sluice_modules.sources):
                refused.append("'%s' (line %d)" % (module, node.lineno))
    return ', '.join(refused)


def _sluice_load(name):
    importlib.import_module(name)


def _sluice_resolve(module, function):
    return getattr(sys.modules[module], function, None)


def _sluice_signature_problem(function, count):
    """Why the function cannot take count positional arguments, or None."""
    import inspect  # only at load: importing it costs more than the rest of this file
    try:
        inspect.signature(function).bind(*range(count))
    except TypeError as e:
        return str(e)
    except ValueError:
        pass
    return None
