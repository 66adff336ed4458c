namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>Names one object: kind, namespace (empty for cluster-scoped kinds) and name.</summary>
public readonly record struct ObjectRef(ResourceKind Kind, string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind} {Namespace}/{Name}";
}
