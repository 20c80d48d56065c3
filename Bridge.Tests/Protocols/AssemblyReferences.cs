using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Bridge.Tests.Protocols;

/// <summary>One thing an assembly's IL names from another assembly: a type, or a member of a type
/// (<see cref="Member"/> null for the type itself). <see cref="AssemblyName"/> is the assembly the
/// reference says the type lives in, so the type can be loaded and its base types asked about.</summary>
public sealed record ExternalReference(string Namespace, string TypeName, string? Member, string? AssemblyName)
{
    public string FullTypeName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;

    public override string ToString() => Member is null ? FullTypeName : FullTypeName + "::" + Member;

    /// <summary>The referenced type as the running framework has it, or null when it can't be found.</summary>
    public Type? Resolve() =>
        AssemblyName is null ? null : Type.GetType(FullTypeName.Replace('/', '+') + ", " + AssemblyName, throwOnError: false);
}

/// <summary>Reads the type and member references out of a compiled assembly's metadata (what the
/// code calls, not what it declares), without loading the assembly for execution.</summary>
public static class AssemblyReferences
{
    public static IReadOnlyList<ExternalReference> Read(string assemblyPath)
    {
        using var file = File.OpenRead(assemblyPath);
        using var pe = new PEReader(file);
        var md = pe.GetMetadataReader();
        var found = new List<ExternalReference>();
        foreach (var handle in md.TypeReferences)
            found.Add(Describe(md, handle, member: null));
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            // Members of generic instantiations (List<T>.Add) have a TypeSpecification parent; none of
            // the things codecs must not touch is generic, so only plain type parents are read.
            if (member.Parent.Kind == HandleKind.TypeReference)
                found.Add(Describe(md, (TypeReferenceHandle)member.Parent, md.GetString(member.Name)));
        }
        return found;
    }

    private static ExternalReference Describe(MetadataReader md, TypeReferenceHandle handle, string? member)
    {
        var type = md.GetTypeReference(handle);
        var name = md.GetString(type.Name);
        var ns = md.GetString(type.Namespace);
        var scope = type.ResolutionScope;
        // A nested type's scope is its enclosing type: name it Outer/Inner under the outer's namespace.
        while (scope.Kind == HandleKind.TypeReference)
        {
            var outer = md.GetTypeReference((TypeReferenceHandle)scope);
            name = md.GetString(outer.Name) + "/" + name;
            ns = md.GetString(outer.Namespace);
            scope = outer.ResolutionScope;
        }
        string? assembly = scope.Kind == HandleKind.AssemblyReference
            ? md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)
            : null;
        return new ExternalReference(ns, name, member, assembly);
    }
}
