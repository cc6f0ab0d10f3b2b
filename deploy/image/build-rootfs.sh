#!/usr/bin/env bash
# Builds the image's file system apart from the application (Jib adds that as /app/...):
#   rootfs/opt/java          a jlink'd Java runtime holding the JDK modules Duet needs (jdeps)
#   rootfs/lib*, /lib64      the C libraries that runtime, netty's natives and /bin/sh load,
#                            copied from this (x86_64 Debian/glibc) build machine
#   rootfs/bin/sh            a POSIX shell (this machine's dash) for the entry-point scripts
#   rootfs/usr/local/bin     duet, duetctl (deploy/image/bin)
#   rootfs/etc               passwd and group (user nonroot, 65532), nsswitch.conf
#   docker-context/          rootfs/ and app/ (the jars and their class path) for deploy/Dockerfile
#
# Usage: build-rootfs.sh STAGE CLASSES_DIR   (Maven's -Pimage runs it; it reads STAGE/build.classpath)
# A second run with the same class path, JDK and image files reuses the runtime (jlink takes ~1 min).
set -euo pipefail

stage="$1"
classes="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rootfs="$stage/rootfs"
classpath="$(cat "$stage/build.classpath")"
IFS=: read -r -a jars <<<"$classpath"
for jar in "${jars[@]}"; do
  [ -f "$jar" ] || { echo "build-rootfs: class path entry $jar is not a jar (package the modules first)" >&2; exit 1; }
done

# Modules jdeps cannot see because they are loaded by name: JNDI DNS (grpc's resolver), EC keys for
# TLS, sun.misc.Unsafe (netty, protobuf), com.sun.management (JVM metrics), the admin HTTP server.
extra_modules="java.naming,jdk.naming.dns,jdk.crypto.ec,jdk.unsupported,jdk.management,jdk.httpserver"

stamp="$({ echo "$classpath"; echo "$extra_modules"; java -version 2>&1; cat "$0";
          find "$here/bin" "$here/etc" -type f -exec sha256sum {} +; } | sha256sum | cut -d' ' -f1)"
if [ -f "$rootfs/.stamp" ] && [ "$(cat "$rootfs/.stamp")" = "$stamp" ]; then
  echo "build-rootfs: runtime up to date in $rootfs"
else
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,etc,tmp,usr/local/bin,var/lib/duet,lib64}
  echo "build-rootfs: finding the JDK modules (jdeps)..."
  modules="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 --recursive \
    --class-path "$classpath" "$classes" "${jars[@]}" | tail -n 1)"
  echo "build-rootfs: jlink $modules,$extra_modules"
  jlink --add-modules "$modules,$extra_modules" --strip-debug --no-man-pages --no-header-files \
    --compress=2 --output "$rootfs/opt/java"
  # Debian's JDK links these to /etc; the runtime needs real files (cacerts for default TLS trust)
  for f in "$rootfs"/opt/java/lib/security/* "$rootfs"/opt/java/conf/security/*; do
    if [ -L "$f" ]; then
      if [ -e "$f" ]; then cp --remove-destination -L "$f" "$f"; else rm -f "$f"; fi
    fi
  done

  # The C libraries: what the runtime's binaries and libraries link, what the native libraries inside
  # the jars link (netty's epoll and io_uring, Ratis's tcnative for TLS: they are unpacked to /tmp at
  # run time), what dash links, and libgcc_s, which glibc loads when a thread exits or is cancelled.
  natives="$stage/natives"
  rm -rf "$natives" && mkdir -p "$natives"
  for jar in "${jars[@]}"; do
    (cd "$natives" && jar xf "$jar" META-INF/native 2>/dev/null || true)   # jar: unzip may be missing
  done
  # (not java.desktop's AWT, sound and font libraries: a headless server never loads them)
  libs="$( { find "$rootfs/opt/java" "$natives" -type f \( -name '*.so' -o -path '*/bin/*' \) \
               ! -name 'libawt*' ! -name 'libjawt.so' ! -name 'libfontmanager.so' ! -name 'libjavajpeg.so' ! -name 'libjsound.so' \
               ! -name 'liblcms.so' ! -name 'libmlib_image.so' ! -name 'libsplashscreen.so' -exec ldd {} + 2>/dev/null;
             ldd /bin/dash; } | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p' | grep -v "^$rootfs/" | sort -u)"
  for lib in $libs $(ldconfig -p | sed -n 's/.*\(libgcc_s\.so\.1\) (libc6,x86-64) => \(.*\)/\2/p' | sort -u); do
    dest="$rootfs/lib/x86_64-linux-gnu/$(basename "$lib")"
    mkdir -p "$(dirname "$dest")"
    cp -L "$lib" "$dest"
  done
  cp -L /lib64/ld-linux-x86-64.so.2 "$rootfs/lib64/"
  cp -L /bin/dash "$rootfs/bin/sh"

  cp "$here"/bin/* "$rootfs/usr/local/bin/"
  cp "$here"/etc/* "$rootfs/etc/"
  chmod 755 "$rootfs"/usr/local/bin/* "$rootfs/bin/sh"
  chmod 777 "$rootfs/tmp" "$rootfs/var/lib/duet"
  echo "$stamp" >"$rootfs/.stamp"
fi

# The Dockerfile's build context: the same root file system (hard links), and the application laid
# out as Jib lays it out, so that the entry-point scripts work unchanged in both images.
context="$stage/docker-context"
rm -rf "$context"
mkdir -p "$context/app/libs"
cp -al "$rootfs" "$context/rootfs"
rm -f "$context/rootfs/.stamp"
cp -r "$classes" "$context/app/classes"
cp_file="/app/classes"
for jar in "${jars[@]}"; do
  cp "$jar" "$context/app/libs/"
  cp_file="$cp_file:/app/libs/$(basename "$jar")"
done
printf '%s' "$cp_file" >"$context/app/jib-classpath-file"
cp "$here/../Dockerfile" "$context/Dockerfile"
echo "build-rootfs: $rootfs ($(du -sh "$rootfs" | cut -f1)), Docker build context $context"
