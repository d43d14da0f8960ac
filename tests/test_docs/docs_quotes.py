"""What the docs quote: commands, repository paths, links and the data-folder
trees of markdown pages, and the checks ``test_docs_links.py`` applies.

The rules, in one place:

- a markdown link to a local file must reach an existing file or folder (an
  ``#anchor`` into a markdown page must name one of its headings);
- ``python <script>.py ...`` (also ``.venv/bin/python``, ``python -m
  pytest``): the script exists and every ``--flag`` is one of its argparse
  options; ``bash``/``sh``/``./`` scripts exist; ``make <target>``: the
  Makefile has the target;
- a quoted path whose first part is a file or folder of the repository
  (``tools/``, ``configs/``, ``Makefile``, ...) must exist; one whose first
  part names a folder inside ``mmpose/`` (``models/backbones/hrnet.py``,
  ``codecs/base.py``) must exist below such a folder;
- paths that only exist after a run or a download are allowed by their
  first part: ``work_dirs/`` (run outputs) and ``vis_results/`` (demo
  outputs) always; ``data/`` and ``models/`` (datasets, SMPL files) only
  when a config names that path, a folder above it, or a sibling inside a
  folder a config names (e.g. ``data/coco/annotations/x.json``), or
  anything below a folder a config names (an image folder's own layout);
  ``models/<x>`` is checked only where configs use ``models/<x>`` (the SMPL
  folder), other ``models/...`` quotes being package-relative module paths;
- anything with a placeholder (``$X``, ``<x>``, ``{x}``, ``*``, ``...``) is
  not checked.
"""
import ast
import os
import posixpath
import re
import runpy
import shlex
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: First path parts that exist only after a run; never checked.
RUN_OUTPUTS = ('work_dirs', 'vis_results')
#: First path parts of downloaded material; checked against the configs.
DATA_ROOTS = ('data', 'models')
_PLACEHOLDER = re.compile(r'[$<>{}*\[\]]|\.\.\.|\bxxx\b|^/|^~|://')
_FENCE = re.compile(r'^(\s*)```\s*([\w+-]*)')
_LINK = re.compile(r'(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)')
_INLINE = re.compile(r'`([^`\n]+)`')
_PATHLIKE = re.compile(r'^[\w.@+-]+(/[\w.@+-]*)*$')
_EXTENSIONS = ('.py', '.sh', '.md', '.json', '.txt', '.cfg', '.yml', '.yaml',
               '.pth', '.jpg', '.png', '.mp4', '.npz', '.pkl', '.mat', '.h5',
               '.npy', '.toml', '.csv', '.xml')
_TREE_CHARS = '│├└─ \u00a0'


def markdown_blocks(text):
    """Split a markdown page into prose and fenced code blocks.

    Args:
        text (str): The page.

    Returns:
        tuple[str, list[tuple[str, str]]]: The prose (code blocks removed)
        and each block's (language, body).
    """
    prose, blocks, body, lang = [], [], None, ''
    for line in text.splitlines():
        fence = _FENCE.match(line)
        if body is None and fence:
            body, lang = [], fence.group(2).lower()
        elif body is not None and line.strip().startswith('```'):
            blocks.append((lang, '\n'.join(body)))
            body = None
        elif body is not None:
            body.append(line)
        else:
            prose.append(line)
    return '\n'.join(prose), blocks


def heading_anchors(text):
    """GitHub-style anchors of a page's headings.

    Returns:
        set[str]: e.g. ``'interhand26m-2d'`` for ``## InterHand2.6M (2D)``.
    """
    prose, _ = markdown_blocks(text)
    anchors = set()
    for line in prose.splitlines():
        match = re.match(r'^#+\s+(.*)$', line)
        if match:
            title = re.sub(r'[`*_]', '', match.group(1)).strip().lower()
            anchors.add(re.sub(r'\s', '-', re.sub(r'[^\w\s-]', '', title)))
    return anchors


def shell_commands(block):
    """The commands of a shell block, continuation lines joined, comments
    and prompts dropped.

    Returns:
        list[list[str]]: Each command as shell words.
    """
    commands = []
    for line in block.replace('\\\n', ' ').splitlines():
        line = line.strip()
        if line.startswith('$ '):
            line = line[2:]
        if not line or line.startswith('#'):
            continue
        for part in re.split(r'\s*(?:&&|\|\||;|\|)\s*', line):
            try:
                words = shlex.split(part, comments=True)
            except ValueError:
                continue
            if words:
                commands.append(words)
    return commands


def _is_command(text):
    return re.match(r'^(\S*python\S*|make|bash|sh|pytest|\./)\s*', text)


class DocsChecker:
    """Checks the quotes of markdown pages against the repository.

    Args:
        config_paths (set[str]): Every ``data/`` and ``models/`` path the
            configs name (normalised, no trailing slash).
    """

    def __init__(self, config_paths):
        self.config_paths = set(config_paths)
        self.config_folders = {
            posixpath.dirname(path)
            for path in self.config_paths
        } | self.config_paths
        self._flags = {}
        self._targets = None

    # -- the pieces --------------------------------------------------------
    def make_targets(self):
        """set[str]: The Makefile's targets."""
        if self._targets is None:
            text = (REPO / 'Makefile').read_text()
            self._targets = set(
                re.findall(r'^([A-Za-z0-9_.-]+)\s*:(?!=)', text, re.M))
        return self._targets

    def script_flags(self, script):
        """The option strings of a script's argument parser, found by running
        the script up to the point where it parses its arguments.

        Args:
            script (str): Path relative to the repository root.

        Returns:
            set[str] | None: The options, or None when the script parses no
            arguments with argparse.
        """
        if script not in self._flags:
            self._flags[script] = _parser_options(REPO / script)
        return self._flags[script]

    def data_path_ok(self, path):
        """Whether a ``data/`` or ``models/`` path is one the configs use
        (see the module docstring)."""
        path = posixpath.normpath(path)
        if path in self.config_folders:
            return True
        if any(name.startswith(path + '/') for name in self.config_paths):
            return True
        if posixpath.dirname(path) in self.config_folders:
            return True
        # anything inside a folder a config names (an img_prefix that is
        # the dataset's root holds the release's own sub-folders)
        parts = path.split('/')
        return any('/'.join(parts[:i]) in self.config_paths
                   and not posixpath.splitext(parts[i - 1])[1]
                   for i in range(2, len(parts)))

    def check_path(self, path, where):
        """Problems with one quoted repository path.

        Returns:
            list[str]: Empty when the path is fine or not checked.
        """
        path = path.strip().rstrip('.,:;')
        if (not path or _PLACEHOLDER.search(path) or not _PATHLIKE.match(path)
                or path.startswith('.')):
            return []
        first = path.split('/')[0]
        if first in RUN_OUTPUTS:
            return []
        if first in DATA_ROOTS and '/' in path.rstrip('/'):
            model_dirs = {
                name.split('/')[1]
                for name in self.config_paths if name.startswith('models/')
            }
            if first == 'models' and path.split('/')[1] not in model_dirs:
                # a package-relative module path (models/backbones/...)
                return []
            if self.data_path_ok(path.rstrip('/')):
                return []
            return [f'{where}: {path} is not a path the configs use']
        if (REPO / first).exists() and ('/' in path or first == path):
            if not (REPO / path).exists():
                return [f'{where}: {path} does not exist']
            return []
        if '/' in path and first in _package_folders():
            # a path inside the package written from a sub-folder
            # (models/backbones/hrnet.py, codecs/base.py)
            if not any((folder / path[len(first) + 1:]).exists()
                       for folder in _package_folders()[first]):
                return [
                    f'{where}: {path} is in no {first}/ folder of '
                    'mmpose/'
                ]
        return []

    def check_command(self, words, where):
        """Problems with one command.

        Args:
            words (list[str]): The command's shell words.
            where (str): Where it is quoted, for the messages.

        Returns:
            list[str]: Empty when the command is fine or not checked.
        """
        problems = []
        words = [w for w in words if not re.match(r'^\w+=', w)] or words
        head = words[0]
        if head == 'make':
            for target in words[1:]:
                if target.startswith('-') or '=' in target:
                    continue
                if target not in self.make_targets():
                    problems.append(f'{where}: make {target}: no such target')
            return problems
        if head in ('bash', 'sh') and len(words) > 1:
            return self.check_path(words[1], where) + (
                [] if
                (REPO / words[1]).exists() or _PLACEHOLDER.search(words[1])
                else [f'{where}: {words[1]} does not exist'])
        if head.startswith('./'):
            return self.check_path(head[2:], where)
        if not re.search(r'(^|/)python[\d.]*$', head):
            if head == 'pytest':
                return [
                    p for w in words[1:] if not w.startswith('-')
                    for p in self.check_path(w.split('::')[0], where)
                ]
            return []
        args = words[1:]
        while args and args[0].startswith('-') and args[0] != '-m':
            args = args[1:]
        if not args:
            return []
        if args[0] == '-m':
            if len(args) > 1 and args[1] == 'pytest':
                return [
                    p for w in args[2:] if not w.startswith('-')
                    for p in self.check_path(w.split('::')[0], where)
                ]
            return []
        script, rest = args[0], args[1:]
        if _PLACEHOLDER.search(script) or not script.endswith('.py'):
            return []
        if not (REPO / script).is_file():
            return [f'{where}: {script} does not exist']
        flags = self.script_flags(script)
        for word in rest:
            if word.startswith('--') and flags is not None:
                flag = word.split('=', 1)[0]
                if flag not in flags:
                    known = sorted(f for f in flags if f.startswith('--'))
                    problems.append(f'{where}: {script} has no option {flag} '
                                    f'(it has {", ".join(known)})')
            elif not word.startswith('-'):
                problems += self.check_path(word, where)
        return problems

    def check_tree(self, block, where):
        """Problems with a folder tree whose root is ``data`` or ``models``.

        Returns:
            tuple[list[str], set[str]]: The problems and the paths the tree
            shows.
        """
        lines = [line for line in block.splitlines() if line.strip()]
        paths, stack, problems = set(), [lines[0].strip()], []
        for line in lines[1:]:
            stripped = line.lstrip(_TREE_CHARS)
            depth = (len(line) - len(stripped)) // 4
            name = stripped.split('  #')[0].strip().rstrip('/')
            del stack[depth:]
            stack.append(name)
            if name == '...' or len(stack) != depth + 1:
                continue
            path = '/'.join(stack)
            paths.add(path)
            if not self.data_path_ok(path):
                problems.append(f'{where}: tree entry {path} is not a path '
                                'the configs use')
        return problems, paths

    # -- a page ------------------------------------------------------------
    def check_page(self, page, text, place=None):
        """Every problem of one markdown page.

        Args:
            page (Path): The page (links are relative to its folder).
            text (str): Its content.
            place (Path | None): Where the page lives in the repository when
                ``page`` is a copy built elsewhere. Default: ``page``.

        Returns:
            tuple[list[str], set[str]]: The problems and the ``data``/
            ``models`` paths its trees show.
        """
        place = place or page
        where = str(place.relative_to(REPO))
        prose, blocks = markdown_blocks(text)
        problems, tree_paths = [], set()
        for match in _LINK.finditer(prose):
            problems += self._check_link(
                match.group(1) or match.group(2), place, text, where)
        for code in _INLINE.findall(prose):
            code = code.strip()
            if _is_command(code):
                for words in shell_commands(code):
                    problems += self.check_command(words, where)
            elif ' ' not in code:
                problems += self.check_path(code, where)
        for lang, body in blocks:
            first = body.strip().split('\n', 1)[0].strip()
            if lang in ('text', '') and first in DATA_ROOTS:
                found, paths = self.check_tree(body.strip('\n'), where)
                problems += found
                tree_paths |= paths
            elif lang in ('bash', 'shell', 'sh', 'console'):
                for words in shell_commands(body):
                    problems += self.check_command(words, where)
            elif lang == 'python':
                for literal in re.findall(r"""['"]([^'"\s]+)['"]""", body):
                    problems += self.check_path(literal, where)
        return problems, tree_paths

    def _check_link(self, target, place, text, where):
        if re.match(r'^[a-z]+:', target):
            return []
        path, _, anchor = target.partition('#')
        if path:
            file = (place.parent / path).resolve()
            if not file.exists():
                return [f'{where}: link {target} does not exist']
            if file.suffix != '.md':
                return []
            text = file.read_text()
        if anchor and anchor not in heading_anchors(text):
            return [f'{where}: link {target}: no heading #{anchor}']
        return []


_PACKAGE_FOLDERS = {}


def _package_folders():
    """dict[str, list[Path]]: The folders of the ``mmpose`` package by
    name (``'codecs'`` -> ``[mmpose/core/codecs]``)."""
    if not _PACKAGE_FOLDERS:
        for folder in sorted((REPO / 'mmpose').rglob('*')):
            if folder.is_dir() and folder.name != '__pycache__':
                _PACKAGE_FOLDERS.setdefault(folder.name, []).append(folder)
    return _PACKAGE_FOLDERS


def _all_options(parser):
    """Option strings of ``parser`` and of its sub-commands' parsers."""
    import argparse
    options = set(parser._option_string_actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                options |= _all_options(sub)
    return options


class _ParserReached(Exception):

    def __init__(self, parser):
        self.parser = parser


def _parser_options(script):
    """Option strings of ``script``'s ArgumentParser (see
    :meth:`DocsChecker.script_flags`)."""
    import argparse
    source = script.read_text()
    if 'argparse' not in source and 'ArgumentParser' not in source:
        # a script that only forwards (e.g. a deprecated path) names its
        # target; look there
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(
                    node.value, str) and node.value.endswith('.py'):
                target = script.parent / node.value
                if target.is_file() and target != script:
                    return _parser_options(target)
        return None

    def reached(self, args=None, namespace=None):
        raise _ParserReached(self)

    saved_argv = sys.argv
    saved_method = argparse.ArgumentParser.parse_known_args
    saved_modules = set(sys.modules)
    argparse.ArgumentParser.parse_known_args = reached
    sys.argv = [str(script)]
    cwd = os.getcwd()
    try:
        runpy.run_path(str(script), run_name='__main__')
    except _ParserReached as stop:
        return _all_options(stop.parser)
    except SystemExit:
        return None
    finally:
        argparse.ArgumentParser.parse_known_args = saved_method
        sys.argv = saved_argv
        os.chdir(cwd)
        for name in set(sys.modules) - saved_modules:
            if name.startswith(('tools', 'demo')):
                sys.modules.pop(name, None)
    return None
