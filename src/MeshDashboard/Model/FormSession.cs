using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Model;

/// <summary>
/// Which state of a service the page's forms were opened on, and whether the service has moved on since. A change
/// by someone else marks the forms stale (the person decides when to reload); the person's own applied change is
/// taken into the forms as soon as it arrives.
/// </summary>
public sealed record FormSession
{
    /// <summary>The service as the forms were opened on; null before the service is first seen.</summary>
    public MeshService? Form { get; init; }

    public string? Version { get; init; }

    public bool IsStale { get; init; }

    public bool OwnChangePending { get; init; }

    public static FormSession Empty { get; } = new();

    /// <summary>A newer state of the service arrived with <paramref name="version"/>.</summary>
    public FormSession Observe(MeshService service, string version)
    {
        if (Form is null)
        {
            return Open(service, version);
        }
        if (version == Version)
        {
            return this;
        }
        return OwnChangePending ? Open(service, version) : this with { IsStale = true };
    }

    /// <summary>The person asked to reload: the forms start again from <paramref name="service"/>.</summary>
    public FormSession Reload(MeshService service, string version) => Open(service, version) with { OwnChangePending = OwnChangePending && version == Version };

    /// <summary>The person applied a change; the next version is theirs.</summary>
    public FormSession ExpectOwnChange() => this with { OwnChangePending = true };

    private static FormSession Open(MeshService service, string version) => new() { Form = service, Version = version };
}
