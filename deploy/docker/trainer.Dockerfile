# The trainer: ingests images into its feature store, trains the encoder on a GPU, publishes features and
# checkpoints. FLAVOR=cu128 (default) runs on CUDA 12.8 with libtorch from pytorch.org; FLAVOR=cpu keeps the
# CPU bundle that Maven puts on the classpath.
ARG FLAVOR=cu128

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install -pl deploy -am

FROM eclipse-temurin:17-jre AS runtime-cpu
ENV DJL_CACHE_DIR=/tmp/djl

# CUDA runtime + cuDNN from NVIDIA; the JRE from the distribution.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime-cu128
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl unzip ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# libtorch 2.7.1 (the PyTorch version of DJL 0.36's JNI) built for CUDA 12.8. Check the file name on
# https://pytorch.org/get-started/locally/ (LibTorch, C++, CUDA 12.8) when changing the version.
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
RUN curl -fsSL -o /tmp/libtorch.zip "$LIBTORCH_URL" && unzip -q /tmp/libtorch.zip -d /opt && rm /tmp/libtorch.zip
# DJL then loads /opt/libtorch/lib and its own cu128 JNI library from the pytorch-jni jar, with no download.
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 DJL_CACHE_DIR=/tmp/djl

FROM runtime-${FLAVOR}
ARG FLAVOR
RUN useradd --system --uid 10001 --home-dir /var/lib/npid npid && mkdir -p /var/lib/npid && chown npid /var/lib/npid
COPY --from=build /src/deploy/target/lib/ /opt/npid/lib/
COPY --from=build /src/deploy/target/npid.jar /opt/npid/npid.jar
# With a CUDA libtorch the 446 MB CPU bundle must go: DJL would otherwise prefer the jar on the classpath.
RUN if [ "$FLAVOR" != cpu ]; then rm -f /opt/npid/lib/pytorch-native-cpu-*.jar; fi
USER npid
WORKDIR /var/lib/npid
# The feature store (RocksDB) and the model checkpoints live under /var/lib/npid/trainer: mount a volume there.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 9404
ENTRYPOINT ["java", "-Dai.djl.offline=true", "--add-modules", "jdk.incubator.vector", "-jar", "/opt/npid/npid.jar", "trainer", "--state-dir", "/var/lib/npid/trainer"]
