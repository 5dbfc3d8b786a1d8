using OverlayPS.Core.Text;

namespace OverlayPS.Tests.Provider;

/// <summary>Owner names from a tree's own /etc/passwd and /etc/group (a Docker image's).</summary>
public class AccountFilesTests
{
    [Fact]
    public void Names_come_from_the_files_and_unknown_ids_stay_numbers()
    {
        var a = AccountFiles.Parse(
            "root:x:0:0:root:/root:/bin/sh\n# comment\n\nbroken line\nuser:x:1000:1000::/home/user:/bin/sh\ndup:x:1000:1000::/:/bin/sh\n",
            "root:x:0:\nstaff:x:50:user\n");
        Assert.Equal("root", a.UserName(0));
        Assert.Equal("user", a.UserName(1000));   // the first line for an id wins, as getpwuid reads
        Assert.Equal("4242", a.UserName(4242));   // not the host's name for it
        Assert.Equal("staff", a.GroupName(50));
        Assert.Equal("1000", a.GroupName(1000));
    }

    [Fact]
    public void A_tree_without_account_files_names_no_one()
    {
        var a = AccountFiles.Parse(null, null);
        Assert.Equal("0", a.UserName(0));
        Assert.Equal("0", a.GroupName(0));
    }
}
