namespace MeshDashboard.Sandbox;

/// <summary>Settings of the embedded cluster (configuration section <c>Sandbox</c>).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Where objects, the revision counter and the kubeconfig are kept. Default: a per-user folder.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>The loopback port to serve on; 0 picks any free port.</summary>
    public int Port { get; set; }

    /// <summary>Seed the demo mesh when the sandbox starts empty.</summary>
    public bool SeedDemoMesh { get; set; } = true;

    /// <summary>
    /// A stand-in for RBAC: users (as named by Impersonate-User) who may read but not write. The sandbox has no
    /// other authorization; this lets tests and demos show the cluster refusing a person.
    /// </summary>
    public List<string> ReadOnlyUsers { get; set; } = [];

    /// <summary>How often an idle watch that asked for bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The simulated clients that give the mesh traffic (section <c>Sandbox:Traffic</c>).</summary>
    public Traffic.TrafficOptions Traffic { get; set; } = new();

    public static string DefaultDataDirectory()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Path.GetTempPath(), Environment.UserName);
        }
        return Path.Combine(root, "MeshDashboard", "sandbox");
    }
}
