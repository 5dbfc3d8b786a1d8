using System.Text;
using OverlayPS.Core.Archive;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Archive;

/// <summary>Tar forms other writers use, read as they mean: GNU long names, pax paths, and
/// the pre-POSIX directory (type NUL with a trailing slash).</summary>
public sealed class LayerImportFormTests : IDisposable
{
    readonly TempDir _tmp = new("ovlps-import-forms");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void LongNamesAndOldStyleDirectoriesLandWhereTheyName()
    {
        var gnuName = "g/" + new string('l', 150);
        var paxName = "p/" + new string('m', 200) + "/é";
        var tar = new TarBuilder()
            .Typed(TarType.RegularOld, "old/")
            .File("old/inside", "in")
            .Dir("g/")
            .GnuLongNameFile(gnuName, "gnu")
            .File(paxName, "pax")
            .WriteTo(Path.Combine(_tmp.Path, "forms.tar"));
        var lower = Path.Combine(_tmp.Path, "lower");

        var result = LayerImport.ToNewLower(tar, lower, new LayerImportOptions());

        Assert.True(Files.LStat(Path.Combine(lower, "old")).IsDirectory);
        Assert.Equal("in", File.ReadAllText(Path.Combine(lower, "old", "inside")));
        Assert.Equal("gnu", File.ReadAllText(Path.Combine(lower, gnuName)));
        Assert.Equal("pax", File.ReadAllText(Path.Combine(lower, paxName), Encoding.UTF8));
        Assert.False(File.Exists(Path.Combine(lower, "decoy")));
        Assert.Equal(5, result.Entries);
    }
}
