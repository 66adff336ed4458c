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

    public List<string> Warnings { get; } = [];

    public static WriteOptions Default => new();
}
