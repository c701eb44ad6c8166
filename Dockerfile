# Builds the crossmargin command into a small runtime image.
# SDK stage: restore and publish; runtime stage: only the published output.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/CrossMargin.Cli -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /work
COPY --from=build /app /app
# Journals, reports and logs go under /work/data; mount a volume there to keep them.
ENTRYPOINT ["dotnet", "/app/crossmargin.dll"]
CMD ["simulate"]
