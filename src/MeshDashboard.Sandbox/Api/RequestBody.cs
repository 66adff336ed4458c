using System.Text;
using Microsoft.AspNetCore.Http;

namespace MeshDashboard.Sandbox.Api;

/// <summary>Reads a request body no larger than kube-apiserver accepts, without buffering more than that.</summary>
internal static class RequestBody
{
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellation)
    {
        var bytes = await ReadBytesAsync(request, cancellation);
        // A UTF-8 byte order mark is not part of the document (the reader used before skipped it too).
        return Encoding.UTF8.GetString(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
    }

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellation)
    {
        // A declared length over the limit is refused before a byte is read, as the API server does.
        if (request.ContentLength > SizeLimits.RequestBodyBytes)
        {
            throw ApiException.RequestEntityTooLarge(SizeLimits.RequestBodyBytes);
        }

        // A chunked body has no declared length: it is refused as soon as what arrived passes the limit.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > SizeLimits.RequestBodyBytes)
            {
                throw ApiException.RequestEntityTooLarge(SizeLimits.RequestBodyBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
