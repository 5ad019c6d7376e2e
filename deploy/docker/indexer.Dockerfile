# The indexer: Kafka Streams topology holding the memory-bank shards and answering queries. No DJL at run time.
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
# State (RocksDB stores of the Streams tasks) lives under /var/lib/npid/indexer: mount a volume there.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
EXPOSE 9404
ENTRYPOINT ["java", "-Dai.djl.offline=true", "--add-modules", "jdk.incubator.vector", "-jar", "/opt/npid/npid.jar", "indexer", "--state-dir", "/var/lib/npid/indexer"]
