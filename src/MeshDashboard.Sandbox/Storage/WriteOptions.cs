namespace MeshDashboard.Sandbox.Storage;

/// <summary>How the server treats fields its schema does not know (the <c>fieldValidation</c> query parameter).</summary>
public enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

/// <summary>Per-request options of a write, and the warnings the write produced for the response header.</summary>
public sealed class WriteOptions
{
    public bool DryRun { get; init; }

    public FieldValidation FieldValidation { get; init; } = FieldValidation.Warn;

    /// <summary>
    /// Who makes this write, recorded in <c>metadata.managedFields</c> (the <c>fieldManager</c> query parameter, or the
    /// User-Agent's product as the API server derives it). Writes without one (the sandbox's own seeding) are not tracked.
    /// </summary>
    public string? FieldManager { get; init; }

    /// <summary>The <c>group/version</c> the client wrote in, recorded with its fields.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Server-side apply's <c>force=true</c>: take fields from other managers instead of answering a conflict.</summary>
    public bool Force { get; init; }

    public List<string> Warnings { get; } = [];

    public static WriteOptions Default => new();
}
