# One image recipe for both services: docker-compose.yml builds it with MODULE and MAIN_CLASS.
# Build stage: compiles the module and the modules it needs, then gathers its runtime jars.
FROM eclipse-temurin:17-jdk AS build
ARG MODULE
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY schemas schemas
COPY services services
RUN ./mvnw -B -q -DskipTests install -pl "services/${MODULE}" -am \
 && ./mvnw -B -q dependency:copy-dependencies -pl "services/${MODULE}" \
      -DincludeScope=runtime -DoutputDirectory=/app/lib \
 && cp "services/${MODULE}/target/${MODULE}-"*[0-9T].jar /app/app.jar

# Run stage: a JRE, the jar and its dependencies, no build tools.
FROM eclipse-temurin:17-jre
ARG MAIN_CLASS
ENV MAIN_CLASS=${MAIN_CLASS} \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
RUN useradd --system --home-dir /var/lib/hub --create-home hub \
 && mkdir -p /var/lib/hub/query-state && chown -R hub /var/lib/hub
COPY --from=build /app /app
USER hub
WORKDIR /var/lib/hub
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/app.jar:/app/lib/*' \"$MAIN_CLASS\""]
