namespace MeshDashboard.Sandbox.Protobuf;

/// <summary>How one protobuf field becomes JSON: its JSON name, its wire shape, and for a message the fields inside.</summary>
internal sealed record ProtoField(string Name, ProtoShape Shape, ProtoMessage? Message = null, bool Repeated = false);

internal enum ProtoShape
{
    String,
    /// <summary>A <c>bytes</c> field: base64 in JSON, as Kubernetes' JSON encoding writes <c>[]byte</c>.</summary>
    Bytes,
    Varint,
    Bool,
    Message,
    /// <summary>metav1.Time: a message of seconds (1) and nanos (2), written as an RFC 3339 string.</summary>
    Time,
    MapOfStrings,
    MapOfBytes,
}

/// <summary>A message's fields by field number; fields not listed are skipped, as an older decoder skips newer fields.</summary>
internal sealed record ProtoMessage(IReadOnlyDictionary<int, ProtoField> Fields);

/// <summary>
/// The few built-in kinds kubectl v1.35 writes in protobuf (<c>application/vnd.kubernetes.protobuf</c>) through its typed
/// clients: <c>kubectl create namespace|configmap|secret|serviceaccount</c> and <c>kubectl auth can-i</c> (and <c>--list</c>). client-go falls back
/// to JSON after a 415 only for CBOR, never for protobuf, so the sandbox must read these. Field numbers are those of
/// k8s.io/api's generated.proto (core/v1 Namespace, ConfigMap, Secret, ServiceAccount; authorization/v1 SelfSubjectAccessReview and SelfSubjectRulesReview;
/// meta/v1 ObjectMeta, OwnerReference).
/// </summary>
internal static class BuiltInProtoSchemas
{
    private static ProtoMessage Message(params (int Number, ProtoField Field)[] fields) => new(fields.ToDictionary(f => f.Number, f => f.Field));

    private static readonly ProtoMessage OwnerReference = Message(
        (1, new("kind", ProtoShape.String)), (3, new("name", ProtoShape.String)), (4, new("uid", ProtoShape.String)),
        (5, new("apiVersion", ProtoShape.String)), (6, new("controller", ProtoShape.Bool)), (7, new("blockOwnerDeletion", ProtoShape.Bool)));

    private static readonly ProtoMessage ObjectMeta = Message(
        (1, new("name", ProtoShape.String)), (2, new("generateName", ProtoShape.String)), (3, new("namespace", ProtoShape.String)),
        (5, new("uid", ProtoShape.String)), (6, new("resourceVersion", ProtoShape.String)), (7, new("generation", ProtoShape.Varint)),
        (8, new("creationTimestamp", ProtoShape.Time)),
        (11, new("labels", ProtoShape.MapOfStrings)), (12, new("annotations", ProtoShape.MapOfStrings)),
        (13, new("ownerReferences", ProtoShape.Message, OwnerReference, Repeated: true)), (14, new("finalizers", ProtoShape.String, Repeated: true)));

    private static readonly ProtoField Metadata = new("metadata", ProtoShape.Message, ObjectMeta);

    private static readonly ProtoMessage Namespace = Message(
        (1, Metadata), (2, new("spec", ProtoShape.Message, Message((1, new("finalizers", ProtoShape.String, Repeated: true))))));

    private static readonly ProtoMessage ConfigMap = Message(
        (1, Metadata), (2, new("data", ProtoShape.MapOfStrings)), (3, new("binaryData", ProtoShape.MapOfBytes)), (4, new("immutable", ProtoShape.Bool)));

    private static readonly ProtoMessage Secret = Message(
        (1, Metadata), (2, new("data", ProtoShape.MapOfBytes)), (3, new("type", ProtoShape.String)),
        (4, new("stringData", ProtoShape.MapOfStrings)), (5, new("immutable", ProtoShape.Bool)));

    private static readonly ProtoMessage ServiceAccount = Message((1, Metadata), (4, new("automountServiceAccountToken", ProtoShape.Bool)));

    private static readonly ProtoMessage ResourceAttributes = Message(
        (1, new("namespace", ProtoShape.String)), (2, new("verb", ProtoShape.String)), (3, new("group", ProtoShape.String)),
        (4, new("version", ProtoShape.String)), (5, new("resource", ProtoShape.String)), (6, new("subresource", ProtoShape.String)),
        (7, new("name", ProtoShape.String)));

    private static readonly ProtoMessage SelfSubjectAccessReview = Message(
        (1, Metadata),
        (2, new("spec", ProtoShape.Message, Message(
            (1, new("resourceAttributes", ProtoShape.Message, ResourceAttributes)),
            (2, new("nonResourceAttributes", ProtoShape.Message, Message((1, new("path", ProtoShape.String)), (2, new("verb", ProtoShape.String)))))))));

    // kubectl auth can-i --list sends this one (generated.proto: SelfSubjectRulesReview spec = 2; its spec's namespace = 1).
    private static readonly ProtoMessage SelfSubjectRulesReview = Message(
        (1, Metadata),
        (2, new("spec", ProtoShape.Message, Message((1, new("namespace", ProtoShape.String))))));

    /// <summary>Schemas by <c>apiVersion/kind</c>.</summary>
    public static readonly IReadOnlyDictionary<string, ProtoMessage> ByKind = new Dictionary<string, ProtoMessage>
    {
        ["v1/Namespace"] = Namespace,
        ["v1/ConfigMap"] = ConfigMap,
        ["v1/Secret"] = Secret,
        ["v1/ServiceAccount"] = ServiceAccount,
        ["authorization.k8s.io/v1/SelfSubjectAccessReview"] = SelfSubjectAccessReview,
        ["authorization.k8s.io/v1/SelfSubjectRulesReview"] = SelfSubjectRulesReview,
    };
}
