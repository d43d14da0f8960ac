"""Install mmpose: ``pip install --no-build-isolation -e .`` (see Makefile)."""
import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))
# requirements/runtime.txt pins the torch release that the Makefile installs and
# CI tests; an installed mmpose asks only for that minor release or later, so
# installing it never downgrades a newer torch.
LOWER_BOUND_ONLY = ('torch', 'torchvision')


def read_version():
    namespace = {}
    with open(os.path.join(HERE, 'mmpose', 'version.py')) as f:
        exec(compile(f.read(), 'version.py', 'exec'), namespace)
    return namespace['__version__']


def as_lower_bound(requirement):
    """``torch==2.14.1`` -> ``torch>=2.14`` for the names in LOWER_BOUND_ONLY."""
    name, sep, version = requirement.partition('==')
    if not sep or name.strip() not in LOWER_BOUND_ONLY:
        return requirement
    major_minor = '.'.join(version.strip().split('.')[:2])
    return f'{name.strip()}>={major_minor}'


def parse_requirements(fname):
    """Read a requirements file, skipping comments, options and includes."""
    requirements = []
    with open(os.path.join(HERE, 'requirements', fname)) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line and not line.startswith('-'):
                requirements.append(as_lower_bound(line))
    return requirements


setup(
    name='mmpose',
    version=read_version(),
    description='OpenMMLab Pose Estimation Toolbox and Benchmark',
    long_description=open(os.path.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    packages=find_packages(exclude=('configs', 'tools', 'demo', 'tests')),
    include_package_data=True,
    # The suite runs on Python 3.11 only (the Makefile's PYTHON, used by CI).
    python_requires='>=3.11',
    classifiers=[
        'Programming Language :: Python :: 3',
        'Programming Language :: Python :: 3.11',
    ],
    install_requires=parse_requirements('runtime.txt'),
    extras_require={
        'all': parse_requirements('runtime.txt') +
        parse_requirements('optional.txt') + parse_requirements('tests.txt'),
        'tests': parse_requirements('tests.txt'),
        'optional': parse_requirements('optional.txt'),
        'mim': parse_requirements('mminstall.txt'),
    },
    zip_safe=False)
