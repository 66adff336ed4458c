using System.Collections.Immutable;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>
/// Every object MeshDashboard reads, at one moment. Immutable: a change produces a new snapshot that
/// shares everything unchanged, so readers never see half an update.
/// </summary>
public sealed class MeshSnapshot
{
    private readonly ImmutableDictionary<ResourceKind, ImmutableSortedDictionary<(string Namespace, string Name), KubeObject>> _objects;

    private MeshSnapshot(ImmutableDictionary<ResourceKind, ImmutableSortedDictionary<(string Namespace, string Name), KubeObject>> objects)
    {
        _objects = objects;
    }

    public static MeshSnapshot Empty { get; } = new(ResourceKinds.All.ToImmutableDictionary(
        k => k,
        _ => ImmutableSortedDictionary.Create<(string Namespace, string Name), KubeObject>()));

    public static MeshSnapshot From(IEnumerable<KubeObject> objects) => Empty.WithMany(objects);

    public IEnumerable<KubeObject> Of(ResourceKind kind) => _objects[kind].Values;

    public int Count(ResourceKind kind) => _objects[kind].Count;

    /// <summary>
    /// An opaque token that stays the same object (compare with ReferenceEquals) until an object of
    /// <paramref name="kind"/> changes: a cheap "did any VirtualService change?" for pages that reload on it.
    /// </summary>
    public object VersionOf(ResourceKind kind) => _objects[kind];

    public KubeObject? Find(ResourceKind kind, string ns, string name) =>
        _objects[kind].TryGetValue((ns, name), out var found) ? found : null;

    public KubeObject? Find(ObjectRef reference) => Find(reference.Kind, reference.Namespace, reference.Name);

    public MeshSnapshot With(KubeObject obj) =>
        new(_objects.SetItem(obj.Kind, _objects[obj.Kind].SetItem((obj.Namespace, obj.Name), obj)));

    public MeshSnapshot WithMany(IEnumerable<KubeObject> objects)
    {
        var builders = _objects.ToDictionary(p => p.Key, p => p.Value.ToBuilder());
        foreach (var obj in objects)
        {
            builders[obj.Kind][(obj.Namespace, obj.Name)] = obj;
        }
        return new(builders.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutable()));
    }

    public MeshSnapshot Without(ObjectRef reference) =>
        new(_objects.SetItem(reference.Kind, _objects[reference.Kind].Remove((reference.Namespace, reference.Name))));

    /// <summary>Replaces every object of one kind (after a relist).</summary>
    public MeshSnapshot WithKind(ResourceKind kind, IEnumerable<KubeObject> objects) =>
        new(_objects.SetItem(kind, objects.ToImmutableSortedDictionary(o => (o.Namespace, o.Name), o => o)));

    public IEnumerable<string> Namespaces =>
        _objects.Values.SelectMany(d => d.Keys.Select(k => k.Namespace)).Where(n => n.Length > 0).Distinct().Order(StringComparer.Ordinal);
}
