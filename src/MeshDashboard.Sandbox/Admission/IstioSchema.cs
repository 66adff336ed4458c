using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Admission;

/// <summary>
/// The structural part of Istio's CRD schemas: which fields exist and what type each has. The API server
/// checks these before any webhook: a wrong type is refused (422), an unknown field is refused under
/// <c>fieldValidation=Strict</c> (kubectl's default) and otherwise dropped with a warning.
/// Subtrees we are not sure of are left open (<see cref="Schema.Open"/>) so a valid field is never dropped.
/// </summary>
internal static class IstioSchema
{
    public static (List<FieldCause> TypeErrors, List<string> UnknownFields) Check(ResourceType type, JsonObject candidate, bool prune)
    {
        var typeErrors = new List<FieldCause>();
        var unknown = new List<string>();
        var spec = type.Kind switch
        {
            "VirtualService" => VirtualServiceSpec,
            "DestinationRule" => DestinationRuleSpec,
            "Gateway" => GatewaySpec,
            _ => null,
        };
        if (spec is not null && candidate["spec"] is { } specNode)
        {
            Walk(spec, specNode, "spec", typeErrors, unknown, prune);
        }
        return (typeErrors, unknown);
    }

    private static void Walk(Schema schema, JsonNode? node, string path, List<FieldCause> errors, List<string> unknown, bool prune)
    {
        if (node is null)
        {
            return;
        }
        switch (schema)
        {
            case Schema.Open:
                return;
            case Schema.Object obj when node is JsonObject jsonObject:
                foreach (var (key, value) in jsonObject.ToList())
                {
                    if (obj.Fields.TryGetValue(key, out var fieldSchema))
                    {
                        Walk(fieldSchema, value, $"{path}.{key}", errors, unknown, prune);
                    }
                    else
                    {
                        unknown.Add($"{path}.{key}");
                        if (prune)
                        {
                            jsonObject.Remove(key);
                        }
                    }
                }
                return;
            case Schema.Map map when node is JsonObject mapObject:
                foreach (var (key, value) in mapObject)
                {
                    Walk(map.Values, value, $"{path}.{key}", errors, unknown, prune);
                }
                return;
            case Schema.List list when node is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(list.Items, array[i], $"{path}[{i}]", errors, unknown, prune);
                }
                return;
            case Schema.Scalar scalar when node is JsonValue value && scalar.Accepts(value.GetValueKind(), value):
                return;
            default:
                errors.Add(new FieldCause(path, $"Invalid value: \"{Describe(node)}\": {path} in body must be of type {schema.TypeName}", "FieldValueTypeInvalid"));
                return;
        }
    }

    private static string Describe(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "unknown",
    };

    internal abstract record Schema(string TypeName)
    {
        public sealed record Object(IReadOnlyDictionary<string, Schema> Fields) : Schema("object");

        public sealed record Map(Schema Values) : Schema("object");

        public sealed record List(Schema Items) : Schema("array");

        public sealed record Scalar(string Name) : Schema(Name)
        {
            public bool Accepts(JsonValueKind kind, JsonValue value) => Name switch
            {
                "string" => kind == JsonValueKind.String,
                "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
                "integer" => kind == JsonValueKind.Number && value.TryGetValue<long>(out _),
                "number" => kind == JsonValueKind.Number,
                // int-or-string, as Kubernetes uses for ports.
                _ => kind is JsonValueKind.String or JsonValueKind.Number,
            };
        }

        public sealed record Open() : Schema("object");
    }

    private static readonly Schema Str = new Schema.Scalar("string");
    private static readonly Schema Int = new Schema.Scalar("integer");
    private static readonly Schema Num = new Schema.Scalar("number");
    private static readonly Schema Bool = new Schema.Scalar("boolean");
    private static readonly Schema Open = new Schema.Open();
    private static readonly Schema StrList = new Schema.List(Str);
    private static readonly Schema StrMap = new Schema.Map(Str);

    private static Schema.Object Obj(params (string Name, Schema Schema)[] fields) =>
        new(fields.ToDictionary(f => f.Name, f => f.Schema));

    private static Schema.List ListOf(Schema items) => new(items);

    private static readonly Schema StringMatch = Obj(("exact", Str), ("prefix", Str), ("regex", Str));
    private static readonly Schema Percent = Obj(("value", Num));
    private static readonly Schema PortSelector = Obj(("number", Int));
    private static readonly Schema Destination = Obj(("host", Str), ("subset", Str), ("port", PortSelector));
    private static readonly Schema HeaderOperations = Obj(("set", StrMap), ("add", StrMap), ("remove", StrList));
    private static readonly Schema Headers = Obj(("request", HeaderOperations), ("response", HeaderOperations));

    private static readonly Schema HttpMatch = Obj(
        ("name", Str), ("uri", StringMatch), ("scheme", StringMatch), ("method", StringMatch), ("authority", StringMatch),
        ("headers", new Schema.Map(StringMatch)), ("withoutHeaders", new Schema.Map(StringMatch)), ("queryParams", new Schema.Map(StringMatch)),
        ("port", Int), ("sourceLabels", StrMap), ("gateways", StrList), ("ignoreUriCase", Bool), ("sourceNamespace", Str), ("statPrefix", Str));

    private static readonly Schema HttpFault = Obj(
        ("delay", Obj(("percent", Int), ("percentage", Percent), ("fixedDelay", Str), ("exponentialDelay", Str))),
        ("abort", Obj(("percentage", Percent), ("httpStatus", Int), ("grpcStatus", Str), ("http2Error", Str))));

    private static readonly Schema HttpRoute = Obj(
        ("name", Str),
        ("match", ListOf(HttpMatch)),
        ("route", ListOf(Obj(("destination", Destination), ("weight", Int), ("headers", Headers)))),
        ("redirect", Open), ("directResponse", Open), ("delegate", Obj(("name", Str), ("namespace", Str))),
        ("rewrite", Open), ("timeout", Str),
        ("retries", Obj(("attempts", Int), ("perTryTimeout", Str), ("retryOn", Str), ("retryRemoteLocalities", Bool), ("retryIgnorePreviousHosts", Bool), ("backoff", Str))),
        ("fault", HttpFault),
        ("mirror", Destination), ("mirrors", ListOf(Obj(("destination", Destination), ("percentage", Percent)))),
        ("mirrorPercentage", Percent), ("mirrorPercent", Int), ("mirror_percent", Int),
        ("corsPolicy", Open), ("headers", Headers));

    private static readonly Schema RouteDestination = Obj(("destination", Destination), ("weight", Int));

    private static readonly Schema VirtualServiceSpec = Obj(
        ("hosts", StrList), ("gateways", StrList), ("exportTo", StrList),
        ("http", ListOf(HttpRoute)),
        ("tls", ListOf(Obj(("match", ListOf(Open)), ("route", ListOf(RouteDestination))))),
        ("tcp", ListOf(Obj(("match", ListOf(Open)), ("route", ListOf(RouteDestination))))));

    private static readonly Schema OutlierDetection = Obj(
        ("consecutiveErrors", Int), ("consecutive5xxErrors", Int), ("consecutiveGatewayErrors", Int), ("consecutiveLocalOriginFailures", Int),
        ("splitExternalLocalOriginErrors", Bool), ("interval", Str), ("baseEjectionTime", Str), ("maxEjectionPercent", Int), ("minHealthPercent", Int));

    private static readonly Schema ConnectionPool = Obj(
        ("tcp", Obj(("maxConnections", Int), ("connectTimeout", Str), ("tcpKeepalive", Open), ("maxConnectionDuration", Str), ("idleTimeout", Str))),
        ("http", Obj(("http1MaxPendingRequests", Int), ("http2MaxRequests", Int), ("maxRequestsPerConnection", Int), ("maxRetries", Int),
            ("idleTimeout", Str), ("h2UpgradePolicy", Str), ("useClientProtocol", Bool), ("maxConcurrentStreams", Int))));

    private static readonly Schema ClientTls = Obj(
        ("mode", Str), ("clientCertificate", Str), ("privateKey", Str), ("caCertificates", Str), ("credentialName", Str),
        ("subjectAltNames", StrList), ("sni", Str), ("insecureSkipVerify", Bool), ("caCrl", Str));

    private static readonly Schema LoadBalancer = Obj(
        ("simple", Str), ("consistentHash", Open), ("localityLbSetting", Open), ("warmupDurationSecs", Str), ("warmup", Open));

    private static readonly Schema TrafficPolicy = Obj(
        ("loadBalancer", LoadBalancer), ("connectionPool", ConnectionPool), ("outlierDetection", OutlierDetection), ("tls", ClientTls),
        ("portLevelSettings", ListOf(Obj(("port", PortSelector), ("loadBalancer", LoadBalancer), ("connectionPool", ConnectionPool), ("outlierDetection", OutlierDetection), ("tls", ClientTls)))),
        ("tunnel", Open), ("proxyProtocol", Open), ("retryBudget", Open));

    private static readonly Schema DestinationRuleSpec = Obj(
        ("host", Str), ("trafficPolicy", TrafficPolicy),
        ("subsets", ListOf(Obj(("name", Str), ("labels", StrMap), ("trafficPolicy", TrafficPolicy)))),
        ("exportTo", StrList), ("workloadSelector", Obj(("matchLabels", StrMap))));

    private static readonly Schema GatewaySpec = Obj(
        ("selector", StrMap),
        ("servers", ListOf(Obj(
            ("port", Obj(("number", Int), ("name", Str), ("protocol", Str), ("targetPort", Int))),
            ("bind", Str), ("hosts", StrList), ("name", Str), ("defaultEndpoint", Str),
            ("tls", Obj(("httpsRedirect", Bool), ("mode", Str), ("serverCertificate", Str), ("privateKey", Str), ("caCertificates", Str),
                ("credentialName", Str), ("credentialNames", StrList), ("subjectAltNames", StrList), ("verifyCertificateSpki", StrList),
                ("verifyCertificateHash", StrList), ("minProtocolVersion", Str), ("maxProtocolVersion", Str), ("cipherSuites", StrList), ("caCrl", Str), ("tlsCertificates", Open)))))));
}
