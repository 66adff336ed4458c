namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// The sizes a real control plane refuses, so a client that works against the sandbox does not meet them
/// first in production, and no local caller can fill the disk or memory with one request.
/// </summary>
public static class SizeLimits
{
    /// <summary>kube-apiserver's MaxRequestBodyBytes: 3 MiB, twice etcd's limit, since JSON is larger than the protobuf stored.</summary>
    public const long RequestBodyBytes = 3 * 1024 * 1024;

    /// <summary>core/v1 MaxSecretSize, which limits a Secret's data and a ConfigMap's data plus binaryData.</summary>
    public const long DataBytes = 1024 * 1024;

    /// <summary>etcd's default --max-request-bytes (1.5 MiB): no write of a bigger object reaches storage.</summary>
    public const long StoredObjectBytes = 3 * 512 * 1024;
}
