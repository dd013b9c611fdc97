/** RFC 3261 §20.17 Date (RFC 1123 form, GMT), remade once a second rather than per response. */
export class DateHeader {
  private second = NaN;
  private text = '';

  valueAt(nowMs: number): string {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.text = new Date(second * 1000).toUTCString();
    }
    return this.text;
  }
}
