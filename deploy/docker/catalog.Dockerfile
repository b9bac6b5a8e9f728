# syntax=docker/dockerfile:1
# The product catalog service. Build from the repository root (the context must hold src/ and the build props):
#   docker build -f deploy/docker/catalog.Dockerfile -t scalableapi/catalog:1.0.0 .
# Stage "build" restores and publishes with the SDK; stage "runtime" holds only the published app on the ASP.NET
# runtime image and runs it as that image's non-root user. The app writes nothing outside /data (mount a volume)
# and /tmp (mount a tmpfs), so it runs with a read-only root filesystem.

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
# Project files first: the restore layer is rebuilt only when a project file or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ScalableApi.Contracts/ScalableApi.Contracts.csproj src/ScalableApi.Contracts/
COPY src/ScalableApi.Platform/ScalableApi.Platform.csproj src/ScalableApi.Platform/
COPY src/ScalableApi.Catalog/ScalableApi.Catalog.csproj src/ScalableApi.Catalog/
RUN dotnet restore src/ScalableApi.Catalog/ScalableApi.Catalog.csproj
COPY src/ScalableApi.Contracts/ src/ScalableApi.Contracts/
COPY src/ScalableApi.Platform/ src/ScalableApi.Platform/
COPY src/ScalableApi.Catalog/ src/ScalableApi.Catalog/
# Framework-dependent and portable (no apphost): the same output runs on amd64 and arm64 runtime images.
RUN dotnet publish src/ScalableApi.Catalog/ScalableApi.Catalog.csproj --no-restore -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble AS runtime
# The data folder belongs to the app's user, so a volume mounted there is writable without running as root.
RUN mkdir /data && chown $APP_UID:$APP_UID /data
WORKDIR /app
COPY --from=build /app ./
# The image's default port, stated so the health check and orchestrators agree on it; data (SQLite files, generated
# keys) under the volume.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Platform__DataDirectory=/data
EXPOSE 8080
# No curl in the runtime image: bash's /dev/tcp sends the request. Liveness only: readiness (database, store) is for
# the balancers (the gateway, Kubernetes), not a reason for the engine to restart the container.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ASPNETCORE_HTTP_PORTS%%[;,]*} && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
USER $APP_UID
ENTRYPOINT ["dotnet", "ScalableApi.Catalog.dll"]
