package extract

import "context"

// ReadPictureWhy reads p as ReadPicture does and returns why it was not
// read with confidence, "" when it was. A reader that says per page why
// its pictures were not read (PDF) builds its sentences from it and does
// not call ReviewPictures.
func (d *Text) ReadPictureWhy(ctx context.Context, p Picture) (string, error) {
	kept := d.unread
	d.unread = nil
	_, err := d.ReadPicture(ctx, p)
	why := ""
	for w := range d.unread {
		why = w // the one reason ReadPicture kept, if any
	}
	if why != "" {
		if kept == nil {
			kept = map[string]int{}
		}
		kept[why]++
	}
	d.unread = kept
	return why, err
}
