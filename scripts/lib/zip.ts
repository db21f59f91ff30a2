import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import JSZip from 'jszip'

/** One file of an archive: its path inside (with `/`) and its bytes. */
export interface ZipEntry {
  name: string
  data: Uint8Array | string
}

/**
 * Every file under `dir`, as archive entries sorted by path (so the same folder always gives
 * the same archive).
 */
export function folderEntries(dir: string, base = dir): ZipEntry[] {
  const entries: ZipEntry[] = []
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name)
    if (item.isDirectory()) entries.push(...folderEntries(path, base))
    else if (item.isFile()) entries.push({ name: relative(base, path).split(sep).join('/'), data: readFileSync(path) })
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

// A fixed time for every entry: the archive's bytes depend on the files only, not on when they
// were built. (ZIP stores local time from 1980 on; this is the first day it can store.)
const FIXED_DATE = new Date(1980, 0, 1)

/** A deflated ZIP of `entries`, byte-for-byte the same for the same entries. */
export async function zip(entries: ZipEntry[]): Promise<Buffer> {
  const archive = new JSZip()
  for (const entry of entries) archive.file(entry.name, entry.data, { date: FIXED_DATE, createFolders: false })
  return archive.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'UNIX' })
}

/** The files of a ZIP, by path (folders left out). */
export async function unzip(data: Uint8Array): Promise<Map<string, Buffer>> {
  const archive = await JSZip.loadAsync(data)
  const files = new Map<string, Buffer>()
  for (const entry of Object.values(archive.files)) {
    if (!entry.dir) files.set(entry.name, await entry.async('nodebuffer'))
  }
  return files
}
