# syntax=docker/dockerfile:1
# Build in the SDK image, run in the ASP.NET runtime image as a non-root user on port 8080
# (and 4053 for the cluster, when Cluster__Port says so). .dockerignore keeps the host's bin/ and obj/ out.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props MessagingServer.sln appsettings.json ./
COPY src/MessagingServer/MessagingServer.csproj src/MessagingServer/
COPY src/MessagingServer.Domain/MessagingServer.Domain.csproj src/MessagingServer.Domain/
RUN dotnet restore src/MessagingServer/MessagingServer.csproj
COPY src/ src/
# The web console embeds the client library (served as /app/client/).
COPY clients/js/src/ clients/js/src/
RUN dotnet publish src/MessagingServer/MessagingServer.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's 'app' user (uid 1654) owns the data folder where the embedded SQLite journal lives.
RUN mkdir -p /app/data && chown -R app:app /app/data
USER app
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080
# 8080: HTTP and WebSockets. 4053: Akka.Remote, where cluster nodes reach each other (Cluster__Port).
EXPOSE 8080 4053
VOLUME ["/app/data"]
# The runtime image has no curl; the server's own client checks its readiness.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["dotnet", "MessagingServer.dll", "healthcheck", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "MessagingServer.dll"]
