# The scrape-shard worker image. Build the jar first (mvn -B -DskipTests package), or let the
# first stage do it.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl shard-worker -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --no-create-home scrape-shard
COPY --from=build /src/shard-worker/target/scrape-shard.jar /app/scrape-shard.jar
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/scrape-shard.jar"]
CMD ["run", "--config", "/etc/scrape-shard/config.yaml"]
