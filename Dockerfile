# aimsgraph service image; docker-compose.yml runs it next to Neo4j 5.26 Community.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/aimsgraph ./cmd/aimsgraph

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/aimsgraph /aimsgraph
EXPOSE 8080
ENTRYPOINT ["/aimsgraph"]
CMD ["serve"]
