namespace MeshDashboard.Cluster.KeyStorage;

/// <summary>Where ASP.NET Core Data Protection keeps the keys that protect sign-in cookies and antiforgery tokens.</summary>
public enum KeyRingStore
{
    /// <summary>The framework's default: a folder in the user's profile, or memory when there is none.</summary>
    Local,

    /// <summary>A Secret in the dashboard's namespace, shared by every replica and kept across restarts.</summary>
    Cluster,
}

/// <summary>Settings under <c>DataProtection</c>.</summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>Null: <see cref="KeyRingStore.Cluster"/> when people sign in (Local or Oidc), else <see cref="KeyRingStore.Local"/>.</summary>
    public KeyRingStore? Store { get; set; }

    public string Namespace { get; set; } = "meshdashboard";

    public string SecretName { get; set; } = "meshdashboard-data-protection";
}
