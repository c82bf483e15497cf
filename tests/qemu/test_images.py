#!/usr/bin/env python3
"""The packaged images (tools/images.mk, tools/mkpackage): `make BOARD=vmware`
and `make BOARD=parallels` are run (into this build directory), then

  * the VMware bundle: plinth.vmx has every key Fusion needs and the seed's
    configuration (arm-other-64, efi, NVMe disk, serial to a file next to
    the bundle, e1000e, XHCI, 4 vCPUs, 2 GB); plinth.vmdk is a
    monolithicSparse VMDK of the whole disk;
  * the VMDK boots under QEMU + AAVMF as an NVMe disk to `plinth> ` (the
    firmware finds the ESP on NVMe, as Fusion's does);
  * plinth.iso boots under QEMU + AAVMF from a SCSI CD-ROM to `plinth> `
    (El Torito EFI image);
  * the Parallels bundle: DiskDescriptor.xml parses, names an image file
    that exists and qemu-img reads as parallels with the disk's size.
    (Unverified in Parallels Desktop itself.)

Transcripts: BUILD/test-artifacts/image-{vmdk,iso}.log.
  python3 tests/qemu/test_images.py --build BUILD
"""
import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plinth_qemu import (Qemu, Tap, Timeout, fresh_vars, machine, pflash_args,  # noqa: E402
                         uefi_missing)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOOT_TIMEOUT = 120.0

VMX_WANT = {
    ".encoding": "UTF-8",
    "config.version": "8",
    "displayName": "Plinth",
    "guestOS": "arm-other-64",
    "firmware": "efi",
    "numvcpus": "4",
    "memsize": "2048",
    "nvme0.present": "TRUE",
    "nvme0:0.present": "TRUE",
    "nvme0:0.fileName": "plinth.vmdk",
    "serial0.present": "TRUE",
    "serial0.fileType": "file",
    "serial0.fileName": "../plinth-serial.log",
    "ethernet0.present": "TRUE",
    "ethernet0.virtualDev": "e1000e",
    "usb.present": "TRUE",
    "usb_xhci.present": "TRUE",
}


def run(argv, timeout=300):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=timeout, cwd=ROOT)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def parse_vmx(path):
    keys, bad = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.fullmatch(r'([A-Za-z0-9_.:]+) = "([^"]*)"\n', line)
            if m:
                keys[m.group(1)] = m.group(2)
            elif line.strip():
                bad.append(line)
    return keys, bad


def check_vmware(t, bundle, disk):
    vmx = os.path.join(bundle, "plinth.vmx")
    vmdk = os.path.join(bundle, "plinth.vmdk")
    if not t.ok(os.path.isfile(vmx) and os.path.isfile(vmdk),
                f"vmware: {bundle} holds plinth.vmx and plinth.vmdk"):
        return None
    keys, bad = parse_vmx(vmx)
    t.ok(not bad, "vmware: every .vmx line is key = \"value\"", "".join(bad))
    wrong = {k: (keys.get(k), v) for k, v in VMX_WANT.items() if keys.get(k) != v}
    t.ok(not wrong, "vmware: .vmx has the seed's configuration and the keys Fusion needs",
         json.dumps(wrong, indent=1))
    t.ok(keys.get("virtualHW.version", "").isdigit() and int(keys["virtualHW.version"]) >= 20,
         "vmware: virtualHW.version >= 20 (Fusion 13, Arm guests)", keys.get("virtualHW.version"))
    with open(vmdk, "rb") as f:
        head = f.read(64 * 1024)
    t.ok(head[:4] == b"KDMV" and b'createType="monolithicSparse"' in head
         and b'ddb.adapterType = "lsilogic"' in head,
         "vmware: plinth.vmdk is a monolithicSparse VMDK (hosted sparse extent, lsilogic geometry)",
         head[512:1400].decode("latin-1"))
    rc, out = run(["qemu-img", "info", "--output=json", vmdk])
    size = json.loads(out).get("virtual-size") if rc == 0 else None
    t.ok(size == os.path.getsize(disk), f"vmware: the VMDK's virtual size is the disk's ({size})",
         out)
    return vmdk


def check_parallels(t, bundle, disk):
    xml = os.path.join(bundle, "DiskDescriptor.xml")
    if not t.ok(os.path.isfile(xml), f"parallels: {xml} exists"):
        return
    try:
        root = ET.parse(xml).getroot()
    except ET.ParseError as e:
        t.ok(False, "parallels: DiskDescriptor.xml parses", str(e))
        return
    sectors = os.path.getsize(disk) // 512
    size = root.findtext("Disk_Parameters/Disk_size")
    hds = root.findtext("StorageData/Storage/Image/File")
    guid = root.findtext("StorageData/Storage/Image/GUID")
    t.ok(root.tag == "Parallels_disk_image" and size == str(sectors)
         and root.findtext("StorageData/Storage/End") == str(sectors)
         and guid == root.findtext("Snapshots/Shot/GUID"),
         "parallels: DiskDescriptor.xml describes the disk (size, one storage, top snapshot)",
         open(xml).read())
    path = os.path.join(bundle, hds or "?")
    rc, out = run(["qemu-img", "info", "--output=json", path])
    info = json.loads(out) if rc == 0 else {}
    t.ok(info.get("format") == "parallels" and info.get("virtual-size") == sectors * 512,
         f"parallels: {hds} is a parallels image of the disk's size (unverified in Parallels)",
         out)


def aavmf(build, name):
    return (machine() + ["-smp", "2", "-m", "512"] +
            pflash_args(fresh_vars(build, name)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    t = Tap()
    for board in ("vmware", "parallels"):
        # `make all` (before the tests) built the loader and the kernel: -o
        # keeps this from relinking them should a source change meanwhile.
        rc, out = run(["make", "-s", f"BUILD={build}", f"BOARD={board}",
                       "-o", os.path.join(build, "kernel", "Image"),
                       "-o", os.path.join(build, "loader", "BOOTAA64.EFI"), "image"])
        t.ok(rc == 0, f"make BOARD={board} builds its packages", out[-2000:])
    vm_disk = os.path.join(build, "vmware", "plinth.img")
    vmdk = check_vmware(t, os.path.join(build, "vmware", "plinth.vmwarevm"), vm_disk)
    check_parallels(t, os.path.join(build, "parallels", "plinth.hdd"),
                    os.path.join(build, "parallels", "plinth.img"))
    iso = os.path.join(build, "vmware", "plinth.iso")
    rc, out = run(["xorriso", "-indev", iso, "-report_el_torito", "plain"])
    t.ok(rc == 0 and re.search(r"El Torito boot img :\s+1\s+UEFI\s+y\s+none", out),
         "iso: one El Torito entry, platform UEFI, no emulation", out[-1500:])
    why = uefi_missing()
    if why:
        t.skip("vmdk and iso boots", why)
        return 1 if t.failed else 0
    plan = []
    if vmdk:
        plan.append(("image-vmdk", aavmf(build, "image-vmdk") + [
            "-drive", f"file={vmdk},format=vmdk,if=none,id=d,readonly=on",
            "-device", "nvme,drive=d,serial=plinth"]))
    plan.append(("image-iso", aavmf(build, "image-iso") + [
        "-drive", f"file={iso},media=cdrom,if=none,id=c,readonly=on",
        "-device", "virtio-scsi-pci", "-device", "scsi-cd,drive=c"]))
    boots = [Qemu(name, build, args, timeout=BOOT_TIMEOUT).start() for name, args in plan]
    try:
        for q in boots:
            try:
                q.wait_for(r"loader: Plinth BOOTAA64\.EFI")
                q.wait_for(r"plinth> ")
                t.ok(True, f"{q.name}: AAVMF boots it to `plinth> `")
            except Timeout as e:
                t.ok(False, f"{q.name}: AAVMF boots it to `plinth> `",
                     f"{e}\n{q.transcript()[-1500:]}\nlog: {q.log_path}")
    finally:
        for q in boots:
            q.close()
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
