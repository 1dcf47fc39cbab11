# Multi-stage build of the media server. Build: docker build -t mediaserver .
# Run:   docker run --rm -p 8080:8080 -p 5060:5060/udp -p 5060:5060/tcp \
#          -e MediaServer__Auth__ApiKeys__0=sk-change-me mediaserver
# Keys are required here: the container listens on 0.0.0.0, and the server refuses to do that without keys.
# The media clock's threads ask for nice -10; as the non-root user below that is refused (logged once) and they run
# at the default priority, still on threads of their own.

FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props MediaServer.sln .editorconfig ./
COPY src/ src/
RUN dotnet publish src/MediaServer/MediaServer.csproj -c Release -o /app /p:UseArtifactsOutput=false
# Silero VAD v6.2 (MIT) from the npm package that ships it, checked against its published SHA-256.
RUN mkdir -p /models && cd /tmp && npm pack --silent @livekit/agents-plugin-silero@1.9.0 \
 && tar xzf livekit-agents-plugin-silero-1.9.0.tgz \
 && cp package/dist/silero_vad.onnx /models/silero_vad.onnx \
 && echo "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3  /models/silero_vad.onnx" | sha256sum -c

FROM mcr.microsoft.com/dotnet/aspnet:10.0-bookworm-slim AS runtime
# The embedded engines are Debian's C libraries: pocketsphinx (STT), flite and espeak-ng (TTS), libopus (codec);
# libgomp1 is the OpenMP runtime Whisper.net's CPU backend links (MediaServer:Stt:Engine=whisper).
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpocketsphinx3 pocketsphinx-en-us libflite1 libespeak-ng1 espeak-ng-data libopus0 libgomp1 curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home /app mediaserver
WORKDIR /app
COPY --from=build /app ./
COPY --from=build /models /models
COPY web/ /app/web/
USER mediaserver
# MALLOC_ARENA_MAX=2: under glibc's default arenas the native engines' RSS crept up ~2 MB/min (README, soak).
ENV MALLOC_ARENA_MAX=2 \
    MediaServer__Http__Address=0.0.0.0 \
    MediaServer__Http__Port=8080 \
    MediaServer__Sip__ListenAddress=0.0.0.0 \
    MediaServer__Sip__AllowedNetworks__0=0.0.0.0/0 \
    MediaServer__WebRtc__Address=0.0.0.0 \
    MediaServer__WebRtc__Port=3478 \
    MediaServer__Engines__ModelsDirectory=/models \
    MediaServer__Web__Root=/app/web \
    MediaServer__Logging__Format=json
EXPOSE 8080 5060/udp 5060/tcp 3478/udp
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "/app/MediaServer.dll"]
