# Builds the crossmargin command (CLI, engine, cluster node) into a small runtime image.
# SDK stage: restore and publish; runtime stage: only the published output.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# The CLI project references every product project it runs (engine, journal, cluster), so publishing it
# publishes them all; tests and benchmarks are not built.
RUN dotnet publish src/CrossMargin.Cli -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /work
COPY --from=build /app /app
# `crossmargin ...` inside a container (docker compose exec node crossmargin cluster status).
RUN printf '#!/bin/sh\nexec dotnet /app/crossmargin.dll "$@"\n' > /usr/local/bin/crossmargin && chmod +x /usr/local/bin/crossmargin
# Journals, reports and logs go under /work/data; mount a volume there to keep them.
ENTRYPOINT ["dotnet", "/app/crossmargin.dll"]
# `docker compose` gives each service its own command (node, cluster loadgen); alone, the image runs the crash scenario.
CMD ["simulate"]
