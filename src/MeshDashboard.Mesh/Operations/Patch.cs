namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// One field of a partial update, with JSON merge-patch meaning (RFC 7386): <see cref="Keep"/> (the request left the
/// field out) leaves it as it is, <see cref="Remove"/> (an explicit null) deletes it so Istio's default applies,
/// <see cref="Set"/> writes the value. The default is Keep, so a field nobody mentions is never touched.
/// </summary>
public readonly record struct Patch<T>
{
    private Patch(PatchKind kind, T? value)
    {
        Kind = kind;
        Value = value;
    }

    public PatchKind Kind { get; }

    /// <summary>The value to write; only meaningful when <see cref="Kind"/> is <see cref="PatchKind.Set"/>.</summary>
    public T? Value { get; }

    public static Patch<T> Keep => default;

    public static Patch<T> Remove => new(PatchKind.Remove, default);

    public static Patch<T> Set(T value) => new(PatchKind.Set, value);

    public bool IsSet => Kind == PatchKind.Set;

    public static implicit operator Patch<T>(T value) => Set(value);

    public override string ToString() => Kind switch
    {
        PatchKind.Keep => "(keep)",
        PatchKind.Remove => "(remove)",
        _ => $"{Value}",
    };
}

/// <summary>Patches from form fields, where an empty field means "remove, so Istio's default applies".</summary>
public static class Patch
{
    public static Patch<int> SetOrRemove(int? value) => value is { } v ? v : Patch<int>.Remove;

    public static Patch<string> SetOrRemove(string? value) => string.IsNullOrWhiteSpace(value) ? Patch<string>.Remove : value.Trim();
}

public enum PatchKind
{
    Keep,
    Remove,
    Set,
}
