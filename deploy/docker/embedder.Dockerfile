# The embedder: stateless; loads the latest model checkpoint and turns query images into vectors (CPU PyTorch).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install -pl deploy -am

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/npid npid && mkdir -p /var/lib/npid && chown npid /var/lib/npid
COPY --from=build /src/deploy/target/lib/ /opt/npid/lib/
COPY --from=build /src/deploy/target/npid.jar /opt/npid/npid.jar
USER npid
WORKDIR /var/lib/npid
# DJL unpacks the bundled libtorch into DJL_CACHE_DIR once per container start; keep it off the image layers.
ENV DJL_CACHE_DIR=/tmp/djl JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 9404
ENTRYPOINT ["java", "-Dai.djl.offline=true", "--add-modules", "jdk.incubator.vector", "-jar", "/opt/npid/npid.jar", "embedder"]
