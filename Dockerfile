# vod-testbed: the local stack (embedded S3 or yours, the MediaConvert emulator, the
# pipeline) in one container. docker-compose.yml runs it against MinIO.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VOD_DATA_DIR=/state

RUN groupadd --gid 10001 vod \
    && useradd --create-home --uid 10001 --gid 10001 vod \
    && mkdir /state \
    && chown 10001:10001 /state

WORKDIR /src

# Dependencies in a layer of their own: a change to the code does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['ffmpeg']))" > /tmp/requirements.txt \
    && pip install --requirement /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY README.md ./
# The console's player (vendor/hls.min.js) comes in with the code when `make install` has
# fetched it (npm, integrity-checked); without it the console plays nothing.
COPY vod_testbed ./vod_testbed
RUN pip install --no-deps . && rm -rf /src/build

USER 10001:10001
WORKDIR /home/vod
EXPOSE 8000 8888 9000

# Healthy once every part answers (the pipeline's and the emulator's /healthz, a HEAD of the
# bucket): what `vod-testbed wait` checks, with no curl in the image.
HEALTHCHECK --interval=10s --timeout=8s --start-period=20s --retries=3 \
    CMD ["vod-testbed", "wait", "--ready-file", "/tmp/vod-testbed-ready.json", "--timeout", "5"]

# Inside a container the servers listen beyond loopback; publish the ports on 127.0.0.1.
CMD ["vod-testbed", "dev", "--host", "0.0.0.0", "--ready-file", "/tmp/vod-testbed-ready.json"]
