namespace Bridge.Service.Adoption;

/// <summary>Reads a device's HTTP reply body up to a limit, whatever the device says or leaves out (a chunked
/// reply has no Content-Length): anything on the LAN can answer where a device was announced.</summary>
public static class BoundedHttpBody
{
    /// <summary>The body; null when it is over <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, int maxBytes, CancellationToken ct)
    {
        if (content.Headers.ContentLength > maxBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var body = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > maxBytes) return null;
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }
}
