"""Every command, path and link the user docs quote exists (the rules are
in ``docs_quotes.py``), and the data-preparation pages show every data path
the configs read."""
import pytest

from docs_quotes import REPO, DocsChecker

#: The pages checked besides docs/ (the model-zoo pages are built afresh).
TOP_PAGES = ('README.md', 'CONTRIBUTING.md', 'demo/README.md')


def _pages():
    pages = [REPO / name for name in TOP_PAGES]
    pages += sorted((REPO / 'docs').rglob('*.md'))
    pages += sorted((REPO / 'demo' / 'docs').rglob('*.md'))
    return [
        page for page in pages
        if page.is_file() and page.parent != REPO / 'docs' / 'model_zoo'
    ]


@pytest.fixture(scope='module')
def checker(config_data_paths):
    return DocsChecker(config_data_paths)


@pytest.mark.parametrize(
    'page', _pages(), ids=lambda page: str(page.relative_to(REPO)))
def test_page_quotes_exist(page, checker):
    problems, _ = checker.check_page(page, page.read_text())
    assert not problems, '\n'.join(problems)


def test_model_zoo_pages_quotes_exist(model_zoo_pages, checker):
    problems = []
    for name, text in model_zoo_pages.items():
        place = REPO / 'docs' / 'model_zoo' / name
        problems += checker.check_page(place, text)[0]
    assert not problems, '\n'.join(problems[:20])


def test_data_preparation_shows_every_config_path(config_data_paths, checker):
    shown = set()
    pages = [REPO / 'docs' / 'data_preparation.md']
    pages += sorted((REPO / 'docs' / 'data_preparation').glob('*.md'))
    for page in pages:
        shown |= checker.check_page(page, page.read_text())[1]
    missing = sorted(config_data_paths - shown)
    assert not missing, ('paths the configs read but no data-preparation '
                         'tree shows:\n' + '\n'.join(missing))
