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
    public string StorageVersion => Versions[0];

    /// <summary>The name the API server uses in messages, e.g. <c>virtualservices.networking.istio.io</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public bool IsCustomResource => Group.Length > 0 && !ResourceTypes.BuiltInGroups.Contains(Group);
}
