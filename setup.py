"""Install mmpose: ``pip install --no-build-isolation -e .`` (see Makefile)."""
import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read_version():
    namespace = {}
    with open(os.path.join(HERE, 'mmpose', 'version.py')) as f:
        exec(compile(f.read(), 'version.py', 'exec'), namespace)
    return namespace['__version__']


def parse_requirements(fname):
    """Read a requirements file, skipping comments, options and includes."""
    requirements = []
    with open(os.path.join(HERE, 'requirements', fname)) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line and not line.startswith('-'):
                requirements.append(line)
    return requirements


setup(
    name='mmpose',
    version=read_version(),
    description='OpenMMLab Pose Estimation Toolbox and Benchmark',
    long_description=open(os.path.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    license='Apache License 2.0',
    packages=find_packages(exclude=('configs', 'tools', 'demo', 'tests')),
    include_package_data=True,
    python_requires='>=3.9',
    install_requires=parse_requirements('runtime.txt'),
    extras_require={
        'all': parse_requirements('runtime.txt') +
        parse_requirements('optional.txt') + parse_requirements('tests.txt'),
        'tests': parse_requirements('tests.txt'),
        'optional': parse_requirements('optional.txt'),
        'mim': parse_requirements('mminstall.txt'),
    },
    zip_safe=False)
