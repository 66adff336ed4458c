using System.Collections.Immutable;

namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// The kinds the sandbox serves right now: the built-in ones, and one per established CustomResourceDefinition.
/// Discovery, the OpenAPI documents and request routing all read it, so a CRD applied with kubectl is served at once.
/// Readers see an immutable snapshot; the store changes it under its lock when a CRD is written or deleted.
/// </summary>
public sealed class TypeRegistry
{
    private ImmutableArray<ResourceType> _all = [.. ResourceTypes.BuiltIn];

    public IReadOnlyList<ResourceType> All => _all;

    /// <summary>A number that changes whenever the served kinds change (OpenAPI and discovery hashes use it).</summary>
    public int Generation { get; private set; }

    /// <summary>Groups in the order discovery lists them ("" is the core group served under /api).</summary>
    public IEnumerable<string> Groups => _all.Select(t => t.Group).Where(g => g.Length > 0).Distinct();

    public ResourceType? Find(string group, string version, string plural) =>
        _all.FirstOrDefault(t => t.Group == group && t.Plural == plural && t.Versions.Contains(version));

    public ResourceType? FindKind(string group, string version, string kind) =>
        _all.FirstOrDefault(t => t.Group == group && t.Kind == kind && t.Versions.Contains(version));

    public ResourceType? FindQualified(string qualifiedName) => _all.FirstOrDefault(t => t.QualifiedName == qualifiedName);

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        _all.Where(t => t.Group == group && t.Versions.Contains(version));

    internal void Define(ResourceType type)
    {
        var index = _all.IndexOf(type);
        _all = index >= 0 ? _all.SetItem(index, type) : _all.Add(type);
        Generation++;
    }

    internal void Remove(ResourceType type)
    {
        _all = _all.Remove(type);
        Generation++;
    }
}
