using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Api;

/// <summary>A kind the sandbox serves, described the way API discovery describes it.</summary>
public sealed record ResourceType(
    string Group,
    IReadOnlyList<string> Versions,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool HasSpecGeneration)
{
    /// <summary>Groupings kubectl expands, e.g. <c>all</c> for <c>kubectl get all</c>.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The version objects are stored in and converted from.</summary>
    public string StorageVersion { get; init; } = Versions[0];

    /// <summary>Set for kinds a CustomResourceDefinition defines: their schemas, columns and subresources.</summary>
    public CustomResourceDefinition? Definition { get; init; }

    /// <summary>The name the API server uses in messages, e.g. <c>virtualservices.networking.istio.io</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Definition?.ListKind ?? Kind + "List";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public bool IsCustomResource => Definition is not null;

    /// <summary>A kind is one resource whatever its definition's revision: the same group and plural name the same stored objects.</summary>
    public bool Equals(ResourceType? other) => other is not null && Group == other.Group && Plural == other.Plural;

    public override int GetHashCode() => HashCode.Combine(Group, Plural);
}

/// <summary>What a CustomResourceDefinition says about its kind beyond discovery: per-version schemas and printer columns, and its subresources.</summary>
public sealed record CustomResourceDefinition(
    string Name,
    string ListKind,
    IReadOnlyDictionary<string, JsonObject?> Schemas,
    IReadOnlyDictionary<string, JsonArray> PrinterColumns,
    bool HasStatusSubresource);
